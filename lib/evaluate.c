/* evaluate.c: loss and accuracy over part of a dataset (evaluate.h). */
#include "evaluate.h"

#include "fail.h"
#include "loss.h"

size_t validation_count(size_t count)
{
    NN_REQUIRE(count >= 2, "%zu images cannot be split into training and validation", count);
    if (count >= 40000) return 10000;
    return count >= 4 ? count / 4 : 1; /* 2 or 3 images: one held out */
}

Score evaluate_batches(LogitsFn logits, void *network, size_t batch, const MnistSet *set,
                       size_t first, size_t count, Matrix *X, Matrix *Y, BatchObserver observe,
                       void *ctx)
{
    NN_REQUIRE(count > 0 && first + count <= set->count, "examples %zu..%zu of %zu", first,
               first + count, set->count);
    enum { MOST = 256 }; /* examples per forward pass, at most */
    size_t index[MOST];
    if (batch > MOST) batch = MOST;
    double total_loss = 0;
    size_t correct = 0;
    for (size_t start = first; start < first + count; start += batch) {
        size_t m = first + count - start < batch ? first + count - start : batch;
        for (size_t j = 0; j < m; j++) index[j] = start + j;
        mat_set_cols(X, m), mat_set_cols(Y, m);
        mnist_gather(X, Y, set, index, m);
        const Matrix *Z2 = logits(network, X);
        total_loss += cross_entropy(Z2, Y) * (double)m;
        correct += count_correct(Z2, Y);
        if (observe != NULL) observe(ctx, Z2, set, start);
    }
    return (Score){total_loss / (double)count, (double)correct / (double)count};
}

/* Chapter 05's network with the workspace of its forward pass. */
typedef struct {
    const Net *net;
    Forward *f;
} NetPass;

static const Matrix *net_logits(void *pass, const Matrix *X)
{
    NetPass *p = pass;
    net_forward(p->net, X, p->f);
    return p->f->Z2;
}

Score evaluate_observed(const Net *net, const MnistSet *set, size_t first, size_t count, Matrix *X,
                        Matrix *Y, Forward *f, BatchObserver observe, void *ctx)
{
    NetPass pass = {net, f};
    return evaluate_batches(net_logits, &pass, f->m, set, first, count, X, Y, observe, ctx);
}

Score evaluate(const Net *net, const MnistSet *set, size_t first, size_t count, Matrix *X,
               Matrix *Y, Forward *f)
{
    return evaluate_observed(net, set, first, count, X, Y, f, NULL, NULL);
}
