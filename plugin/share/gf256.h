/* gf256.h - constant-time arithmetic in GF(2^8) (AES polynomial 0x11b) */
#ifndef GPGPACK_GF256_H
#define GPGPACK_GF256_H

/* Field elements are bytes; addition and subtraction are XOR.  Both
 * functions below take the same time and the same code path whatever
 * their arguments: no branches and no table lookups depend on them.  */

/* Return A * B modulo x^8 + x^4 + x^3 + x + 1.  */
unsigned char gf256_mul (unsigned char a, unsigned char b);

/* Return the multiplicative inverse of A (A^254); 0 maps to 0.  */
unsigned char gf256_inv (unsigned char a);

#endif /*GPGPACK_GF256_H*/
