;; A guest of an older toolchain: it imports wasi_unstable (snapshot 0), whose
;; encodings differ from preview1 in fd_seek's whence (CUR=0, END=1, SET=2),
;; the 56-byte filestat with a 32-bit nlink, and the clock subscription's
;; extra identifier. Run with a preopen at fd 3 holding data.txt of exactly
;; 10 bytes. Prints "unstable ok" when every check held, else exits with the
;; number of the first check that failed.
(module
  (import "wasi_unstable" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_unstable" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
  (import "wasi_unstable" "fd_filestat_get" (func $fd_filestat_get (param i32 i32) (result i32)))
  (import "wasi_unstable" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_unstable" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_unstable" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  ;; 100: the file name; 600: the message, with its iovec at 500.
  (data (i32.const 100) "data.txt")
  (data (i32.const 500) "\58\02\00\00\0c\00\00\00")
  (data (i32.const 600) "unstable ok\n")

  (func $check (param $got i64) (param $want i64) (param $code i32)
    (if (i64.ne (local.get $got) (local.get $want))
      (then (call $proc_exit (local.get $code)))))

  (func $ok (param $errno i32) (param $code i32)
    (call $check (i64.extend_i32_u (local.get $errno)) (i64.const 0) (local.get $code)))

  (func (export "_start")
    (local $fd i32)
    ;; Open data.txt in the preopen with every right the directory allows.
    (call $ok
      (call $path_open (i32.const 3) (i32.const 0) (i32.const 100) (i32.const 8) (i32.const 0)
        (i64.const -1) (i64.const 0) (i32.const 0) (i32.const 16))
      (i32.const 10))
    (local.set $fd (i32.load (i32.const 16)))

    ;; whence 1 is END in snapshot 0: 10 - 3 = 7.
    (call $ok (call $fd_seek (local.get $fd) (i64.const -3) (i32.const 1) (i32.const 0))
      (i32.const 11))
    (call $check (i64.load (i32.const 0)) (i64.const 7) (i32.const 12))
    ;; whence 2 is SET.
    (call $ok (call $fd_seek (local.get $fd) (i64.const 2) (i32.const 2) (i32.const 0))
      (i32.const 13))
    (call $check (i64.load (i32.const 0)) (i64.const 2) (i32.const 14))
    ;; whence 0 is CUR: 2 + 1.
    (call $ok (call $fd_seek (local.get $fd) (i64.const 1) (i32.const 0) (i32.const 0))
      (i32.const 15))
    (call $check (i64.load (i32.const 0)) (i64.const 3) (i32.const 16))
    ;; There is no whence 3: EINVAL (28).
    (call $check
      (i64.extend_i32_u (call $fd_seek (local.get $fd) (i64.const 0) (i32.const 3) (i32.const 0)))
      (i64.const 28) (i32.const 17))

    ;; The filestat is 56 bytes: a sentinel right after it stays.
    (i64.store (i32.const 256) (i64.const 0x5a5a5a5a5a5a5a5a))
    (call $ok (call $fd_filestat_get (local.get $fd) (i32.const 200)) (i32.const 20))
    ;; filetype at 16 is regular_file (4), nlink (u32) at 20 is 1, size at 24 is 10.
    (call $check (i64.load8_u (i32.const 216)) (i64.const 4) (i32.const 21))
    (call $check (i64.load32_u (i32.const 220)) (i64.const 1) (i32.const 22))
    (call $check (i64.load (i32.const 224)) (i64.const 10) (i32.const 23))
    (call $check (i64.load (i32.const 256)) (i64.const 0x5a5a5a5a5a5a5a5a) (i32.const 24))

    ;; A 1 ms monotonic clock subscription: userdata, tag 0 at 8, identifier
    ;; at 16, clock id at 24, timeout at 32, precision at 40, flags at 48.
    (i64.store (i32.const 300) (i64.const 0x1234))
    (i32.store8 (i32.const 308) (i32.const 0))
    (i64.store (i32.const 316) (i64.const 99))
    (i32.store (i32.const 324) (i32.const 1))
    (i64.store (i32.const 332) (i64.const 1000000))
    (i64.store (i32.const 340) (i64.const 0))
    (i32.store16 (i32.const 348) (i32.const 0))
    (call $ok (call $poll_oneoff (i32.const 300) (i32.const 400) (i32.const 1) (i32.const 8))
      (i32.const 30))
    (call $check (i64.load32_u (i32.const 8)) (i64.const 1) (i32.const 31))
    (call $check (i64.load (i32.const 400)) (i64.const 0x1234) (i32.const 32))
    (call $check (i64.load16_u (i32.const 408)) (i64.const 0) (i32.const 33))
    (call $check (i64.load8_u (i32.const 410)) (i64.const 0) (i32.const 34))

    (call $ok (call $fd_write (i32.const 1) (i32.const 500) (i32.const 1) (i32.const 8))
      (i32.const 40))))
