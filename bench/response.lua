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
-- CLIENTS=N: each request claims (in X-Forwarded-For, believed from 127.0.0.1 when the bench
-- sets SUARA_TRUSTED_PROXIES) one of N client addresses in the benchmarking range 198.18.0.0/15,
-- so a rate limit counts N clients instead of one.
local clients = tonumber(os.getenv("CLIENTS") or "0")
local c = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n % #bodies + 1
  if clients > 0 then
    c = c % clients + 1
    wrk.headers["X-Forwarded-For"] = string.format("198.18.%d.%d", math.floor(c / 250) % 250, c % 250 + 1)
  end
  return wrk.format(nil, nil, nil, bodies[n])
end
