-- Function calls and integer arithmetic: naive recursive Fibonacci. Usage: lua fib.lua N
local n = assert(tonumber(arg[1]), "usage: fib.lua N")
local function fib(k)
  if k < 2 then return k end
  return fib(k - 1) + fib(k - 2)
end
print(string.format("fib(%d) = %d", n, fib(n)))
