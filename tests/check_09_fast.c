/* check_09_fast.c: chapter 09's products compute what chapter 06's loops do,
 * within float rounding, for everything chapter 07's recipe does:
 *  - one pass: the logits, the loss, P and every layer's dW and db;
 *  - one training step with each update rule (plain SGD, momentum, Adam),
 *    with weight decay, with dropout, with the cosine schedule: the loss and
 *    every parameter after each of several steps, the batch gathered as rows;
 *  - evaluation, the inspection files' counts, and a whole recipe run with
 *    early stopping;
 * each with one thread and with two; and a fast epoch learns. */
#include <check.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "dropout.h"
#include "fast_layer.h"
#include "inspect.h"
#include "loss.h"
#include "model_sgd.h"
#include "optimizer.h"
#include "recipe.h"
#include "support/sample.h"
#include "support/testkit.h"

/* Fails unless A and B agree within tol relative to B's largest entry. */
static void assert_near(const Matrix *A, const Matrix *B, double tol, const char *what)
{
    double largest = 0;
    for (size_t i = 0; i < B->rows * B->cols; i++)
        if (fabs((double)B->data[i]) > largest) largest = fabs((double)B->data[i]);
    for (size_t i = 0; i < A->rows * A->cols; i++)
        ck_assert_msg(fabs((double)A->data[i] - (double)B->data[i]) <= tol * largest + 1e-30,
                      "%s: entry %zu is %.9g, the reference %.9g", what, i, (double)A->data[i],
                      (double)B->data[i]);
}

/* The tests run with one thread and with two (OMP_NUM_THREADS for gemm, and
 * the fast step's shares of each layer, fixed when its FastWork is made). */
static void use_threads(int n)
{
#ifdef _OPENMP
    omp_set_num_threads(n);
#else
    (void)n;
#endif
}

/* Two models alike: He-initialised from the same seed. */
static void twin_models(const size_t *sizes, size_t count, size_t batch, Model **a, Model **b)
{
    Rng ra, rb;
    rng_seed(&ra, 3), rng_seed(&rb, 3);
    *a = model_new(sizes, count, batch), *b = model_new(sizes, count, batch);
    model_init_he(*a, &ra), model_init_he(*b, &rb);
}

START_TEST(fast_gradients_are_the_references)
{
    use_threads(1 + _i);
    size_t sizes[] = {784, 48, 16, 10}, index[40];
    Model *slow, *fast;
    twin_models(sizes, 4, 40, &slow, &fast);
    Matrix *X = mat_new(784, 40), *Y = mat_new(10, 40);
    for (size_t j = 0; j < 40; j++) index[j] = 7 * j;
    mnist_gather(X, Y, &sample, index, 40);
    FastWork f;
    fast_work_init(&f);
    FastOps ops = fast_ops(&f, FAST_EVALUATE);
    assert_near(model_forward_with(fast, X, &ops.ops), model_forward(slow, X), 1e-5, "logits");
    double loss = model_loss(fast, Y), reference = cross_entropy(slow->layers[2].Z, Y);
    ck_assert_msg(fabs(loss - reference) <= 1e-5 * reference, "loss %.9g, cross_entropy %.9g", loss,
                  reference);
    model_backward(slow, X, Y);
    assert_near(fast->P, slow->P, 1e-5, "P = softmax(Z_L)");
    model_backward_with(fast, X, Y, &ops.ops, NULL);
    for (size_t l = 0; l < 3; l++) {
        char what[32];
        snprintf(what, sizeof what, "dW%zu", l + 1);
        assert_near(fast->layers[l].dW, slow->layers[l].dW, 1e-4, what);
        snprintf(what, sizeof what, "db%zu", l + 1);
        assert_near(fast->layers[l].db, slow->layers[l].db, 1e-4, what);
    }
    fast_work_release(&f);
    mat_free(X), mat_free(Y), model_free(slow), model_free(fast);
}
END_TEST

/* The training gather, with _i + 1 threads: each thread's X is chapter 06's
 * gather to the bit, its Xt the transpose, Y the one-hot labels, for a batch
 * that is not whole squares of transpose.h (37 images: 2 of 16 and 5 more). */
START_TEST(the_training_gather_writes_the_batch_both_ways)
{
    use_threads(1 + _i);
    enum { M = 37 };
    size_t index[M];
    for (size_t j = 0; j < M; j++) index[j] = (29 * j + 5) % 800;
    Matrix *X = mat_new(784, 64), *Y = mat_new(10, 64), *R = mat_new(784, M), *RY = mat_new(10, M);
    mnist_gather(R, RY, &sample, index, M);
    FastWork f;
    fast_work_init(&f);
    FastOps rows = fast_ops(&f, FAST_TRAIN);
    Batch b = {index, M, NULL, 0};
    rows.ops.gather(&rows.ops, X, Y, &sample, &b);
    ck_assert_uint_eq(X->cols, M);
    ck_assert_uint_eq(Y->cols, M);
    ck_assert(memcmp(Y->data, RY->data, sizeof(real) * 10 * M) == 0);
    ck_assert_uint_eq(f.copies, f.threads); /* one copy for each thread (one without OpenMP) */
    for (size_t t = 0; t < f.copies; t++) {
        const Matrix *Xc = t == 0 ? X : f.X[t], *Xt = f.Xt[t];
        ck_assert_uint_eq(Xc->cols, M);
        ck_assert_uint_eq(Xt->rows, M);
        ck_assert_uint_eq(Xt->cols, 784);
        ck_assert_msg(memcmp(Xc->data, R->data, sizeof(real) * 784 * M) == 0,
                      "thread %zu's X is not the batch", t);
        for (size_t p = 0; p < 784; p++)
            for (size_t j = 0; j < M; j++)
                ck_assert_msg(MAT_AT(Xt, j, p) == MAT_AT(R, p, j),
                              "thread %zu's Xt[%zu][%zu] is not X[%zu][%zu]", t, j, p, p, j);
    }
    fast_work_release(&f);
    mat_free(X), mat_free(Y), mat_free(R), mat_free(RY);
}
END_TEST

/* A layer too thin to give each of two threads a tile of rows, but with a
 * million multiply-adds (10×2048, batch 64): on one thread, the same logits. */
START_TEST(a_thin_big_layer_is_not_shared_into_empty_shares)
{
    use_threads(2);
    size_t sizes[] = {784, 2048, 10}, index[64];
    Model *slow, *fast;
    twin_models(sizes, 3, 64, &slow, &fast);
    Matrix *X = mat_new(784, 64), *Y = mat_new(10, 64);
    for (size_t j = 0; j < 64; j++) index[j] = 11 * j;
    mnist_gather(X, Y, &sample, index, 64);
    FastWork f;
    fast_work_init(&f);
    FastOps ops = fast_ops(&f, FAST_EVALUATE);
    assert_near(model_forward_with(fast, X, &ops.ops), model_forward(slow, X), 1e-5, "logits");
    fast_work_release(&f);
    mat_free(X), mat_free(Y), model_free(slow), model_free(fast);
}
END_TEST

/* One way of training, as chapter 07's recipe sets it up. */
typedef struct {
    const char *name;
    OptimizerKind optimizer;
    ScheduleKind schedule;
    double rate, decay, keep; /* α0, λ, dropout's keep (1: no dropout) */
} Setting;

static const Setting settings[] = {
    {"sgd", OPTIMIZER_SGD, SCHEDULE_CONSTANT, 0.1, 0, 1},
    {"momentum", OPTIMIZER_MOMENTUM, SCHEDULE_CONSTANT, 0.02, 0, 1},
    {"adam", OPTIMIZER_ADAM, SCHEDULE_CONSTANT, 1e-3, 0, 1},
    {"sgd, weight decay", OPTIMIZER_SGD, SCHEDULE_CONSTANT, 0.1, 0.01, 1},
    {"adam, weight decay, cosine", OPTIMIZER_ADAM, SCHEDULE_COSINE, 1e-3, 1e-3, 1},
    {"momentum, dropout", OPTIMIZER_MOMENTUM, SCHEDULE_CONSTANT, 0.02, 0, 0.8},
    {"the recipe: adam, cosine, decay, dropout", OPTIMIZER_ADAM, SCHEDULE_COSINE, 1e-3, 1e-4, 0.8},
};
enum { SETTINGS = sizeof settings / sizeof settings[0], STEPS = 4, BATCH = 32 };

/* One side of the comparison: a model, its optimizer, dropout, trainer. */
typedef struct {
    Optimizer *optimizer;
    Dropout *dropout;
    Rng rng; /* dropout's masks */
    ModelTrainer *trainer;
} Side;

static void side_init(Side *s, Model *model, const Setting *set, const ModelOps *ops)
{
    Schedule schedule = {set->schedule, set->rate, STEPS, 0};
    s->optimizer = optimizer_new(model, set->optimizer, schedule, set->decay);
    rng_seed(&s->rng, 9);
    s->dropout = set->keep < 1 ? dropout_new(model, set->keep, ops, &s->rng) : NULL;
    if (s->dropout != NULL) ops = &s->dropout->ops;
    s->trainer = model_trainer_new(model, &sample, ops, optimizer_as_update(s->optimizer));
}

static void side_release(Side *s)
{
    model_trainer_free(s->trainer), dropout_free(s->dropout), optimizer_free(s->optimizer);
}

/* Every parameter of the fast model within rounding of the reference's. */
static void assert_parameters_near(const Model *fast, const Model *slow, const char *name,
                                   size_t step)
{
    for (size_t l = 0; l < slow->count; l++) {
        char what[160];
        snprintf(what, sizeof what, "%s, after step %zu: W%zu", name, step, l + 1);
        assert_near(fast->layers[l].W, slow->layers[l].W, 2e-5, what);
        snprintf(what, sizeof what, "%s, after step %zu: b%zu", name, step, l + 1);
        assert_near(fast->layers[l].b, slow->layers[l].b, 2e-5, what);
    }
}

/* Setting _i / 2, with _i % 2 + 1 threads: STEPS steps of model_step with
 * chapter 06's loops and with the fast products (a training gather: the
 * batch as columns and as rows). */
START_TEST(each_step_of_the_recipe_is_the_references)
{
    const Setting *set = &settings[_i / 2];
    use_threads(1 + _i % 2);
    size_t sizes[] = {784, 48, 24, 10}, order[STEPS * BATCH];
    for (size_t j = 0; j < STEPS * BATCH; j++) order[j] = (13 * j) % 800;
    Model *slow, *fast;
    twin_models(sizes, 4, BATCH, &slow, &fast);
    FastWork f;
    fast_work_init(&f);
    FastOps rows = fast_ops(&f, FAST_TRAIN);
    Side s, q;
    side_init(&s, slow, set, &MODEL_LOOPS), side_init(&q, fast, set, &rows.ops);
    for (size_t step = 0; step < STEPS; step++) {
        Batch b = {&order[step * BATCH], BATCH, NULL, 0};
        size_t right_s = 0, right_q = 0;
        double loss_s = model_step(s.trainer, &b, &right_s),
               loss_q = model_step(q.trainer, &b, &right_q);
        ck_assert_msg(fabs(loss_q - loss_s) <= 1e-5 * loss_s,
                      "%s, step %zu: loss %.9g, reference %.9g", set->name, step + 1, loss_q,
                      loss_s);
        ck_assert_uint_eq(right_q, right_s);
        assert_parameters_near(fast, slow, set->name, step + 1);
    }
    side_release(&s), side_release(&q);
    fast_work_release(&f);
    model_free(slow), model_free(fast);
}
END_TEST

/* Plain SGD (model_sgd), whose step the fast products fold into dW's product:
 * STEPS steps with _i + 1 threads give the reference's parameters. */
START_TEST(the_folded_sgd_step_is_the_references)
{
    use_threads(1 + _i);
    size_t sizes[] = {784, 48, 24, 10}, order[STEPS * BATCH];
    for (size_t j = 0; j < STEPS * BATCH; j++) order[j] = (7 * j + 3) % 800;
    Model *slow, *fast;
    twin_models(sizes, 4, BATCH, &slow, &fast);
    FastWork f;
    fast_work_init(&f);
    FastOps rows = fast_ops(&f, FAST_TRAIN);
    real alpha = (real)0.1;
    ModelTrainer *s = model_trainer_new(slow, &sample, &MODEL_LOOPS, model_sgd(&alpha));
    ModelTrainer *q = model_trainer_new(fast, &sample, &rows.ops, model_sgd(&alpha));
    for (size_t step = 0; step < STEPS; step++) {
        Batch b = {&order[step * BATCH], BATCH, NULL, 0};
        size_t right_s = 0, right_q = 0;
        model_step(s, &b, &right_s), model_step(q, &b, &right_q);
        assert_parameters_near(fast, slow, "plain SGD, folded", step + 1);
    }
    model_trainer_free(s), model_trainer_free(q);
    fast_work_release(&f);
    model_free(slow), model_free(fast);
}
END_TEST

/* Evaluation through the fast products (batches as columns), and what the
 * inspection files count: the same as through chapter 06's loops. */
START_TEST(fast_evaluation_and_inspection_are_the_references)
{
    use_threads(1 + _i);
    size_t sizes[] = {784, 64, 10};
    Model *slow, *fast;
    twin_models(sizes, 3, 50, &slow, &fast);
    Matrix *X = mat_new(784, 50), *Y = mat_new(10, 50);
    FastWork f;
    fast_work_init(&f);
    FastOps columns = fast_ops(&f, FAST_EVALUATE);
    Inspection a = {0}, b = {0};
    Score s = model_evaluate(slow, &MODEL_LOOPS, &sample, 0, 800, X, Y, inspect_batch, &a);
    Score q = model_evaluate(fast, &columns.ops, &sample, 0, 800, X, Y, inspect_batch, &b);
    ck_assert_msg(fabs(q.loss - s.loss) <= 1e-5 * s.loss, "loss %.9g, reference %.9g", q.loss,
                  s.loss);
    ck_assert_double_eq(q.accuracy, s.accuracy);
    ck_assert_msg(memcmp(a.confusion, b.confusion, sizeof a.confusion) == 0,
                  "the confusion matrices differ");
    ck_assert_uint_eq(a.worst_count, b.worst_count);
    for (size_t r = 0; r < a.worst_count; r++)
        ck_assert_uint_eq(a.worst[r].index, b.worst[r].index);
    fast_work_release(&f);
    mat_free(X), mat_free(Y), model_free(slow), model_free(fast);
}
END_TEST

/* recipe_train on the sample, its epoch table sent to /dev/null. */
static Model *train_quietly(const Recipe *r, const Engine *engine, RecipeResult *result)
{
    fflush(stdout);
    int saved = dup(STDOUT_FILENO), devnull = open("/dev/null", O_WRONLY);
    ck_assert(saved >= 0 && devnull >= 0);
    dup2(devnull, STDOUT_FILENO), close(devnull);
    Model *model = recipe_train(r, engine, &sample, &sample, NULL, result);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO), close(saved);
    return model;
}

/* A whole recipe run on the sample, with early stopping and dropout, with
 * each engine: the same epochs, the same model kept, the same scores. */
START_TEST(a_fast_recipe_run_is_the_references)
{
    use_threads(1 + _i);
    Recipe r = {.sizes = {784, 64, 32, 10},
                .size_count = 4,
                .init = INIT_HE,
                .optimizer = OPTIMIZER_ADAM,
                .schedule = SCHEDULE_COSINE,
                .learning_rate = 1e-3,
                .weight_decay = 1e-4,
                .dropout = 0.2,
                .batch = 32,
                .epochs = 4,
                .seed = 1,
                .patience = 2,
                .print_every = 1};
    FastEngine fast;
    fast_engine_init(&fast);
    RecipeResult s, q;
    Model *slow_model = train_quietly(&r, &ENGINE_LOOPS, &s);
    Model *fast_model = train_quietly(&r, &fast.engine, &q);
    ck_assert_uint_eq(q.epochs_run, s.epochs_run);
    ck_assert_uint_eq(q.best_epoch, s.best_epoch);
    ck_assert_msg(fabs(q.val.loss - s.val.loss) <= 1e-4 * s.val.loss,
                  "val loss %.9g, reference %.9g", q.val.loss, s.val.loss);
    ck_assert_double_eq_tol(q.test.accuracy, s.test.accuracy, 1.5 / 800);
    assert_parameters_near(fast_model, slow_model, "the recipe run", s.epochs_run * 19);
    model_free(slow_model), model_free(fast_model);
    fast_engine_release(&fast);
}
END_TEST

START_TEST(a_fast_epoch_learns)
{
    use_threads(1 + _i);
    size_t sizes[] = {784, 64, 10};
    Model *model = model_new(sizes, 3, 32);
    Rng rng;
    rng_seed(&rng, 1);
    model_init_he(model, &rng);
    FastWork f;
    fast_work_init(&f);
    FastOps rows = fast_ops(&f, FAST_TRAIN), columns = fast_ops(&f, FAST_EVALUATE);
    real alpha = (real)0.1;
    ModelTrainer *t = model_trainer_new(model, &sample, &rows.ops, model_sgd(&alpha));
    size_t *order = epoch_order_new(600);
    EpochPlan plan = {order, 600, 32, &rng, 10, NULL};
    for (size_t e = 1; e <= 10; e++) {
        size_t correct = 0, bad = 0;
        epoch_run(&plan, e, model_step, t, &correct, &bad);
        ck_assert_uint_eq(bad, 0);
    }
    Matrix *X = mat_new(784, 32), *Y = mat_new(10, 32);
    Score held_out = model_evaluate(model, &columns.ops, &sample, 600, 200, X, Y, NULL, NULL);
    ck_assert_msg(held_out.accuracy > 0.8, "%.1f%%", 100 * held_out.accuracy);
    free(order), mat_free(X), mat_free(Y), model_trainer_free(t);
    fast_work_release(&f);
    model_free(model);
}
END_TEST

/* What build/<program> <flags> printed on stderr; its exit status in *status. */
static char *stderr_of(const char *program, const char *flags, int *status)
{
    char command[512];
    snprintf(command, sizeof command, "'%s'/%s %s 2>&1 >/dev/null", NN_BUILD_DIR, program, flags);
    return run_command(command, status);
}

/* ch09-speed takes no flags: a typo such as a thread count in a flag
 * (threads come from OMP_NUM_THREADS) is refused, not ignored. */
START_TEST(the_program_refuses_flags)
{
    int status;
    char *err = stderr_of("ch09-speed", "--threads 2", &status);
    ck_assert_msg(status == 2, "ch09-speed --threads 2 exited with %d; it said:\n%s", status, err);
    ck_assert_str_eq(err, "ch09-speed: --threads: this program takes no flags or arguments; run it "
                          "alone\n");
    free(err);
}
END_TEST

/* The test accuracy a trainer printed ("final: test accuracy 91.50% ..."), or -1. */
static double final_accuracy(const char *out)
{
    const char *at = strstr(out, "final: test accuracy ");
    double accuracy;
    return at != NULL && sscanf(at, "final: test accuracy %lf%%", &accuracy) == 1 ? accuracy : -1;
}

/* Runs build/<program> with the flags on the sample, into dir; returns its output. */
static char *train_on_sample(const char *program, const char *dir, int *status)
{
    char command[768];
    snprintf(command, sizeof command,
             "'%s'/%s --data data/sample --layers 784,32,16,10 --epochs 2 --curve never "
             "--log '%s'/%s.tsv --save '%s'/%s.nn 2>&1",
             NN_BUILD_DIR, program, dir, program, dir, program);
    return run_command(command, status);
}

/* `make run`'s trainer: chapter 08's program on the fast engine. It trains as
 * chapter 08's does, saves a model that loads back the same, and predict
 * reads digits with it. */
START_TEST(train_is_chapter_08s_program_on_the_fast_products)
{
    char dir[] = "/tmp/nn-train-XXXXXX";
    ck_assert(mkdtemp(dir) != NULL);
    int status;
    char *fast = train_on_sample("train", dir, &status);
    ck_assert_msg(status == 0, "train exited with %d:\n%s", status, fast);
    ck_assert_msg(strstr(fast, "Chapter 09: training 784-32-16-10, adam") != NULL, "%s", fast);
    ck_assert_msg(strstr(fast, "loaded it back: test accuracy") != NULL &&
                      strstr(fast, ": the same\n") != NULL,
                  "%s", fast);
    char *slow = train_on_sample("ch08-using-the-network", dir, &status);
    ck_assert_msg(status == 0, "ch08 exited with %d:\n%s", status, slow);
    double a = final_accuracy(fast), b = final_accuracy(slow);
    ck_assert_msg(a >= 0 && fabs(a - b) <= 0.25, "train: %.2f%%, chapter 08: %.2f%%", a, b);
    char command[512];
    snprintf(command, sizeof command,
             "'%s'/predict --model '%s'/train.nn chapters/08-using-the-network/digits/3.pgm",
             NN_BUILD_DIR, dir);
    char *read = run_command(command, &status);
    ck_assert_msg(status == 0 && strstr(read, "guess: ") != NULL, "predict: %d\n%s", status, read);
    free(fast), free(slow), free(read);
    snprintf(command, sizeof command, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(command), 0);
}
END_TEST

START_TEST(train_refuses_a_bad_flag_naming_it)
{
    int status;
    char *err = stderr_of("train", "--optimizer adma", &status);
    const char *says = "train: --optimizer: \"adma\" is not one of sgd, momentum, adam\n";
    ck_assert_msg(status == 2 && strcmp(err, says) == 0, "status %d:\n%s", status, err);
    free(err);
}
END_TEST

Suite *suite_09_fast(void);
Suite *suite_09_fast(void)
{
    Suite *s = suite_create("09 fast");
    TCase *tc = tcase_create("against chapter 06");
    tcase_add_unchecked_fixture(tc, sample_load, sample_free);
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, fast_gradients_are_the_references, 0, 2);
    tcase_add_loop_test(tc, the_training_gather_writes_the_batch_both_ways, 0, 2);
    tcase_add_test(tc, a_thin_big_layer_is_not_shared_into_empty_shares);
    tcase_add_loop_test(tc, each_step_of_the_recipe_is_the_references, 0, 2 * SETTINGS);
    tcase_add_loop_test(tc, the_folded_sgd_step_is_the_references, 0, 2);
    tcase_add_loop_test(tc, fast_evaluation_and_inspection_are_the_references, 0, 2);
    tcase_add_loop_test(tc, a_fast_recipe_run_is_the_references, 0, 2);
    tcase_add_loop_test(tc, a_fast_epoch_learns, 0, 2);
    suite_add_tcase(s, tc);
    TCase *program = tcase_create("the program");
    tcase_set_timeout(program, 120);
    tcase_add_test(program, the_program_refuses_flags);
    tcase_add_test(program, train_is_chapter_08s_program_on_the_fast_products);
    tcase_add_test(program, train_refuses_a_bad_flag_naming_it);
    suite_add_tcase(s, program);
    return s;
}
