;; A WASI command that traps in the function its argument count picks (argc - 1 indexes the table),
;; for the tests of trap messages naming the function. Called through call_indirect so that LLVM
;; cannot inline the trapping functions into _start.
(module
  (type $scenario (func (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (memory 1)
  (table funcref (elem $boom $load_far $recurse $divide $fill_past_end))

  ;; explicit trap: unreachable
  (func $boom (param $pick i32) (result i32)
    (if (i32.eqz (local.get $pick)) (then unreachable))
    (local.get $pick))

  ;; page fault in the memory's guard region
  (func $load_far (param $pick i32) (result i32)
    (i32.load offset=0x10000000 (local.get $pick)))

  ;; page fault in the stack's guard region; the subtraction keeps the call from being a tail call
  (func $recurse (param $depth i32) (result i32)
    (i32.sub (call $recurse (i32.add (local.get $depth) (i32.const 1))) (local.get $depth)))

  ;; explicit trap from an inline check: 100 / (pick - 3)
  (func $divide (param $pick i32) (result i32)
    (i32.div_u (i32.const 100) (i32.sub (local.get $pick) (i32.const 3))))

  ;; explicit trap raised inside the runtime (uw_memory_fill), on behalf of this function
  (func $fill_past_end (param $pick i32) (result i32)
    (memory.fill (i32.const 65000) (local.get $pick) (i32.const 1000))
    (local.get $pick))

  (func $_start (export "_start")
    (drop (call $args_sizes_get (i32.const 0) (i32.const 4)))
    (drop (call_indirect (type $scenario)
      (i32.sub (i32.load (i32.const 0)) (i32.const 1))
      (i32.sub (i32.load (i32.const 0)) (i32.const 1)))))
)
