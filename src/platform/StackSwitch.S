// void lucet_platform_call_on_stack(void *stackTop /* rdi */, void (*fn)(void *) /* rsi */,
//                                   void *arg /* rdx */)
//
// Keeps the caller's stack pointer in rbp (callee-saved, so fn preserves it)
// and describes the frame with rbp as the CFA so debuggers and unwinders can
// walk from guest frames back into the host.
#if defined(__x86_64__)
        .text
        .globl  lucet_platform_call_on_stack
        .type   lucet_platform_call_on_stack, @function
        .p2align 4
lucet_platform_call_on_stack:
        .cfi_startproc
        pushq   %rbp
        .cfi_def_cfa_offset 16
        .cfi_offset %rbp, -16
        movq    %rsp, %rbp
        .cfi_def_cfa_register %rbp
        andq    $-16, %rdi
        movq    %rdi, %rsp
        movq    %rdx, %rdi
        callq   *%rsi
        movq    %rbp, %rsp
        popq    %rbp
        .cfi_def_cfa %rsp, 8
        retq
        .cfi_endproc
        .size   lucet_platform_call_on_stack, .-lucet_platform_call_on_stack
#else
#error "stack switching is only implemented for x86-64"
#endif
        .section .note.GNU-stack, "", @progbits
