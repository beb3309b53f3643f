-- String building, formatting, pattern matching and hashing of the pieces. Usage: lua strings.lua N
local n = assert(tonumber(arg[1]), "usage: strings.lua N")
local parts = {}
for i = 1, n do
  parts[#parts + 1] = string.format("item-%06d:%x;", i, (i * 2654435761) % 4294967296)
end
local text = table.concat(parts)
local count, digits = 0, 0
for key, value in text:gmatch("item%-(%d+):(%x+);") do
  count = count + 1
  digits = digits + #value + tonumber(key) % 7
end
local upper = text:gsub("item", "ITEM"):upper()
local hash = 5381
for i = 1, #upper, 7 do
  hash = (hash * 33 + upper:byte(i)) % 4294967296
end
print(string.format("strings n=%d length=%d matches=%d digits=%d hash=%08x", n, #text, count, digits, hash))
