-- wrk script: POST SKM responses with varied answers (bodies prepared once, then cycled).
local bodies = {}
local services = {"ktp-el", "kartu-keluarga", "akta-kelahiran", "pindah-datang"}
math.randomseed(42)
for i = 1, 500 do
  local a = {}
  for u = 1, 9 do a[u] = math.random(1, 4) end
  bodies[i] = string.format(
    '{"answers":{"U1":%d,"U2":%d,"U3":%d,"U4":%d,"U5":%d,"U6":%d,"U7":%d,"U8":%d,"U9":%d,"WAIT_MIN":%d,"VISITS":%d},' ..
    '"respondent":{"gender":"%s","age":%d,"education":"SMA","occupation":"swasta"},"service":"%s","channel":"kiosk"}',
    a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], math.random(5, 240), math.random(1, 4),
    (i % 2 == 0) and "L" or "P", math.random(18, 70), services[(i % 4) + 1])
end
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[n])
end
