;; A start function that calls WASI: the WASI context must exist before
;; instantiation runs it (it once did not, and lucet-wasi crashed reading a
;; null context). It writes a line, then reads the argument sizes.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $args_sizes_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello from start\n")
  (global $argc (mut i32) (i32.const -1))
  (func $start
    ;; iovec at 0: {ptr 16, len 17}
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 17))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (drop (call $args_sizes_get (i32.const 40) (i32.const 44)))
    (global.set $argc (i32.load (i32.const 40))))
  (start $start)
  ;; _start writes "argc=N\n" with the count the start function saw.
  (data (i32.const 64) "argc=?\n")
  (func (export "_start")
    (i32.store8 (i32.const 69) (i32.add (i32.const 48) (global.get $argc)))
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 7))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
