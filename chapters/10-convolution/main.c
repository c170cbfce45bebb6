/* Chapter 10: convolution.
 *
 * Trains a convolutional network, LeNet's design (lib/convnet.h): two stages
 * of convolution, ReLU and max pooling, then two dense layers, by chapter
 * 07's recipe, on chapter 09's products with the convolution layers of
 * lib/conv_layer.h. Then, as chapter 08's program does (lib/saved_run.c), it
 * saves the model (format version 2, its layers written as text:
 * lib/model_file.h), loads the file back and checks that the loaded model
 * scores exactly what the trained one did; `predict` reads digits with it.
 * The same flags as chapter 07 (--layers takes convolutions: convFkK, poolN).
 * Build and run: make ch10 && ./build/ch10-convolution   (--help lists the flags) */
#include "conv_layer.h"
#include "convnet.h"
#include "saved_run.h"

/* Chapter 10's defaults, where they differ from chapter 07's recipe: the
 * layers, and the number of epochs and dropout, set here once measured. */
static void convnet_defaults(RecipeFlags *f)
{
    f->maker = &CONVNET_MAKER;
    f->layers = "784,conv20k5,pool2,conv50k5,pool2,500,10";
    f->recipe.epochs = 15;
    f->recipe.dropout = 0.2;
}

int main(int argc, char **argv)
{
    ConvEngine conv;
    conv_engine_init(&conv);
    const SavedRun program = {
        .program = "ch10-convolution",
        .chapter = "10",
        .log_path = "build/logs/ch10.tsv",
        .about = "Trains a convolutional network on MNIST by chapter 07's recipe and saves it.",
        .engine = &conv.engine,
        .save_path = "build/model-conv.nn",
        .defaults = convnet_defaults,
    };
    int status = saved_run_main(argc, argv, &program);
    conv_engine_release(&conv);
    return status;
}
