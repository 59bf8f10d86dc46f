/* gf256.c - constant-time arithmetic in GF(2^8) (AES polynomial 0x11b) */
#include "gf256.h"

/* The reduction polynomial x^8 + x^4 + x^3 + x + 1.  */
#define GF256_POLY 0x11b

/* Shift-and-add multiplication.  Each of the eight rounds adds A to the
 * result under a mask made from one bit of B, then doubles A and reduces
 * it under a mask made from its top bit; masks replace branches.  */
unsigned char
gf256_mul (unsigned char a, unsigned char b)
{
  unsigned int x = a;
  unsigned int y = b;
  unsigned int r = 0;
  int i;

  for (i = 0; i < 8; i++)
    {
      r ^= x & (0u - (y & 1));
      y >>= 1;
      x = (x << 1) ^ (GF256_POLY & (0u - (x >> 7)));
    }
  return (unsigned char)r;
}

/* A^254 = A^-1 for A != 0 (the multiplicative group has order 255).
 * The exponent is public, so a fixed square-and-multiply chain is
 * constant time: 254 = 0b11111110, i.e. A^2 * A^4 * ... * A^128.  */
unsigned char
gf256_inv (unsigned char a)
{
  unsigned char square = a;
  unsigned char r = 1;
  int i;

  for (i = 1; i < 8; i++)
    {
      square = gf256_mul (square, square);
      r = gf256_mul (r, square);
    }
  return r;
}
