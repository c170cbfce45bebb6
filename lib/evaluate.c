/* evaluate.c: loss and accuracy over part of a dataset (evaluate.h). */
#include "evaluate.h"

#include "fail.h"
#include "loss.h"

Score evaluate_observed(const Net *net, const MnistSet *set, size_t first, size_t count,
                        Matrix *X, Matrix *Y, Forward *f, BatchObserver observe, void *ctx)
{
    NN_REQUIRE(count > 0 && first + count <= set->count, "examples %zu..%zu of %zu", first,
               first + count, set->count);
    enum { MOST = 256 }; /* examples per forward pass, at most */
    size_t batch = f->m < MOST ? f->m : MOST, index[MOST];
    double total_loss = 0;
    size_t correct = 0;
    for (size_t start = first; start < first + count; start += batch) {
        size_t m = first + count - start < batch ? first + count - start : batch;
        for (size_t j = 0; j < m; j++) index[j] = start + j;
        mat_set_cols(X, m), mat_set_cols(Y, m);
        mnist_gather(X, Y, set, index, m);
        net_forward(net, X, f);
        total_loss += cross_entropy(f->Z2, Y) * (double)m;
        correct += count_correct(f->Z2, Y);
        if (observe != NULL) observe(ctx, f->Z2, set, start);
    }
    return (Score){total_loss / (double)count, (double)correct / (double)count};
}

Score evaluate(const Net *net, const MnistSet *set, size_t first, size_t count, Matrix *X,
               Matrix *Y, Forward *f)
{
    return evaluate_observed(net, set, first, count, X, Y, f, NULL, NULL);
}
