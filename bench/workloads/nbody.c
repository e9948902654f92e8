/* nbody: double-precision n-body simulation (symplectic Euler, softened
 * gravity) over a deterministic set of bodies. Uses only + - * / sqrt, so the
 * result is bit-identical on every IEEE-754 target. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#define NB 32
typedef struct { double x, y, z, vx, vy, vz, m; } Body;

static double energy(const Body *b) {
  double e = 0.0;
  for (int i = 0; i < NB; i++) {
    e += 0.5 * b[i].m * (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
    for (int j = i + 1; j < NB; j++) {
      double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
      e -= b[i].m * b[j].m / sqrt(dx * dx + dy * dy + dz * dz + 0.01);
    }
  }
  return e;
}

int main(int argc, char **argv) {
  unsigned steps = argc > 1 ? (unsigned)strtoul(argv[1], 0, 10) : 120000;
  Body b[NB];
  uint32_t s = 42;
  for (int i = 0; i < NB; i++) {
    double v[7];
    for (int k = 0; k < 7; k++) {
      s = s * 1664525u + 1013904223u;
      v[k] = (double)(s >> 8) / 16777216.0 - 0.5;
    }
    b[i] = (Body){v[0] * 10, v[1] * 10, v[2] * 10, v[3], v[4], v[5], 1.0 + v[6]};
  }
  double e0 = energy(b);
  const double dt = 0.001;
  for (unsigned st = 0; st < steps; st++) {
    for (int i = 0; i < NB; i++) {
      for (int j = i + 1; j < NB; j++) {
        double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
        double d2 = dx * dx + dy * dy + dz * dz + 0.01;
        double mag = dt / (d2 * sqrt(d2));
        b[i].vx -= dx * b[j].m * mag; b[i].vy -= dy * b[j].m * mag; b[i].vz -= dz * b[j].m * mag;
        b[j].vx += dx * b[i].m * mag; b[j].vy += dy * b[i].m * mag; b[j].vz += dz * b[i].m * mag;
      }
    }
    for (int i = 0; i < NB; i++) {
      b[i].x += dt * b[i].vx; b[i].y += dt * b[i].vy; b[i].z += dt * b[i].vz;
    }
  }
  double e1 = energy(b);
  uint64_t bits0, bits1;
  memcpy(&bits0, &e0, 8);
  memcpy(&bits1, &e1, 8);
  printf("%.9f %.9f\n", e0, e1);
  printf("%016llx%016llx\n", (unsigned long long)bits0, (unsigned long long)bits1);
  return 0;
}
