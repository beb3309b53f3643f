-- Table construction, sorting with a comparator, and floating point (spectral norm of the matrix
-- A(i,j) = 1/((i+j)(i+j+1)/2+i+1)). Usage: lua tables.lua N
local n = assert(tonumber(arg[1]), "usage: tables.lua N")
local seed = 42
local function random()
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed
end
local records = {}
for i = 1, n * 20 do
  records[i] = {key = random() % 100000, id = i}
end
table.sort(records, function(a, b)
  if a.key ~= b.key then return a.key < b.key end
  return a.id < b.id
end)
local order = 0
for i = 1, #records, 97 do order = (order * 31 + records[i].id) % 1000000007 end

local function a(i, j)
  local ij = i + j
  return 1.0 / (ij * (ij + 1) / 2 + i + 1)
end
local function times(v, transpose)
  local out = {}
  for i = 0, n - 1 do
    local sum = 0.0
    for j = 0, n - 1 do
      sum = sum + (transpose and a(j, i) or a(i, j)) * v[j]
    end
    out[i] = sum
  end
  return out
end
local u, v = {}, {}
for i = 0, n - 1 do u[i] = 1.0 end
for _ = 1, 10 do
  v = times(times(u, false), true)
  u = times(times(v, false), true)
end
local vbv, vv = 0.0, 0.0
for i = 0, n - 1 do
  vbv = vbv + u[i] * v[i]
  vv = vv + v[i] * v[i]
end
print(string.format("tables n=%d order=%d spectralnorm=%.9f", n, order, math.sqrt(vbv / vv)))
