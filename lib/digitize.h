/* digitize.h: turning any picture of a handwritten digit into what MNIST's
 * digits look like, so that a network trained on MNIST can read it.
 *
 * MNIST's makers took each scanned digit, fitted it into a 20×20 box keeping
 * its proportions (the grey levels come from the anti-aliased scaling), and
 * placed it in a 28×28 field so that its centre of mass sits at the centre.
 * The network learned digits of that size, in that place, as light ink on
 * black. A picture from elsewhere goes the same way:
 *   1. ink:    find the paper (the mean of the picture's border): if it is
 *              light, the ink is dark, and ink = 1 - grey; otherwise ink =
 *              grey. Stretch so that the paper is 0 and the darkest ink 1.
 *   2. crop:   to the smallest box holding every pixel of ink above 0.2.
 *   3. scale:  the box into 20×20, keeping its proportions; each new pixel
 *              is the mean of the old ones it covers (area averaging).
 *   4. centre: place it in 28×28 so that its centre of mass is at (14, 14).
 * A picture with no ink (a blank page) is an error. */
#ifndef NN_DIGITIZE_H
#define NN_DIGITIZE_H

#include "error.h"
#include "mnist.h"
#include "pgm.h"

/* The field is MNIST's (28 pixels a side), the box inside it 20. */
enum { DIGIT_SIDE = MNIST_SIDE, DIGIT_BOX = 20 };

/* Writes the 28×28 MNIST-style digit of img into pixels (0 paper .. 255 ink,
 * row by row). Returns 0, or -1 with err when the picture holds no ink;
 * `name` names it in that message. */
int digitize(const PgmImage *img, const char *name, unsigned char pixels[DIGIT_SIDE * DIGIT_SIDE],
             NnError *err);

#endif
