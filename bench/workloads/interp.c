/* interp: a small stack-machine bytecode interpreter whose dispatch goes
 * through a table of function pointers (one indirect call per instruction).
 * The program computes a sum over a loop with a few arithmetic operations. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct VM VM;
typedef void (*Op)(VM *);
struct VM {
  const int32_t *code;
  int32_t pc;
  int32_t sp;
  int32_t stack[64];
  int32_t locals[8];
  int running;
};

enum { PUSH, LOAD, STORE, ADD, SUB, MUL, XOR, SHR, DUP, JNZ, JMP, HALT, NOPS };

static void op_push(VM *v) { v->stack[v->sp++] = v->code[v->pc++]; }
static void op_load(VM *v) { v->stack[v->sp++] = v->locals[v->code[v->pc++]]; }
static void op_store(VM *v) { v->locals[v->code[v->pc++]] = v->stack[--v->sp]; }
static void op_add(VM *v) { v->sp--; v->stack[v->sp - 1] = (int32_t)((uint32_t)v->stack[v->sp - 1] + (uint32_t)v->stack[v->sp]); }
static void op_sub(VM *v) { v->sp--; v->stack[v->sp - 1] = (int32_t)((uint32_t)v->stack[v->sp - 1] - (uint32_t)v->stack[v->sp]); }
static void op_mul(VM *v) { v->sp--; v->stack[v->sp - 1] = (int32_t)((uint32_t)v->stack[v->sp - 1] * (uint32_t)v->stack[v->sp]); }
static void op_xor(VM *v) { v->sp--; v->stack[v->sp - 1] ^= v->stack[v->sp]; }
static void op_shr(VM *v) { v->sp--; v->stack[v->sp - 1] = (int32_t)((uint32_t)v->stack[v->sp - 1] >> (v->stack[v->sp] & 31)); }
static void op_dup(VM *v) { v->stack[v->sp] = v->stack[v->sp - 1]; v->sp++; }
static void op_jnz(VM *v) { int32_t t = v->code[v->pc++]; if (v->stack[--v->sp]) v->pc = t; }
static void op_jmp(VM *v) { v->pc = v->code[v->pc]; }
static void op_halt(VM *v) { v->running = 0; }

static Op table[NOPS] = {op_push, op_load, op_store, op_add, op_sub, op_mul, op_xor, op_shr, op_dup, op_jnz, op_jmp, op_halt};

int main(int argc, char **argv) {
  int32_t iters = argc > 1 ? (int32_t)strtol(argv[1], 0, 10) : 3000000;
  /* locals: 0 = counter, 1 = acc, 2 = x
     loop: x = counter*31 ^ (acc>>3); acc = acc + x - counter; counter -= 1; if counter goto loop */
  int32_t code[] = {
      PUSH, 0, STORE, 1,                       /* 0: acc = 0 */
      LOAD, 0, PUSH, 31, MUL,                  /* 4: counter*31 */
      LOAD, 1, PUSH, 3, SHR, XOR, STORE, 2,    /* 9: x = ... ^ (acc>>3) */
      LOAD, 1, LOAD, 2, ADD, LOAD, 0, SUB, STORE, 1, /* 17: acc = acc + x - counter */
      LOAD, 0, PUSH, 1, SUB, DUP, STORE, 0,    /* 27: counter -= 1 */
      JNZ, 4,                                  /* 35 */
      HALT};
  VM vm = {code, 0, 0, {0}, {iters, 0, 0}, 1};
  uint64_t ops = 0;
  while (vm.running) {
    int32_t op = code[vm.pc++];
    table[op](&vm);
    ops++;
  }
  printf("ops=%llu\n%u\n", (unsigned long long)ops, (uint32_t)vm.locals[1]);
  return 0;
}
