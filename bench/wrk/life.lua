-- A dossier's whole life, over and over: submit, receive, assign, propose,
-- approve, issue the result, return it, each as the role that may. Run with as
-- many threads as connections: a thread's state follows its one connection.
-- Tokens, bodies and the specialist's user id come from the environment.
local tokens = {
  citizen = os.getenv("T_CITIZEN"),
  officer = os.getenv("T_OFFICER"),
  specialist = os.getenv("T_SPECIALIST"),
  leader = os.getenv("T_LEADER"),
}
local steps = {
  { "citizen", nil, os.getenv("BODY") },
  { "officer", "receive", os.getenv("RECEIVE_BODY") },
  { "leader", "assign", '{"assignee":"' .. os.getenv("SPECIALIST_ID") .. '"}' },
  { "specialist", "propose", '{"note":"Đủ điều kiện"}' },
  { "leader", "approve", "{}" },
  { "leader", "issue_result", '{"result":{"number":"1/QĐ-UBND","form":"paper"}}' },
  { "officer", "return_result", '{"delivery":"counter"}' },
}
local step, ref, version = 1, nil, nil
lives, failures = 0, 0

function request()
  local s = steps[step]
  local h = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. tokens[s[1]] }
  if s[2] == nil then
    return wrk.format("POST", "/api/v1/dossiers", h, s[3])
  end
  h["If-Match"] = '"' .. version .. '"'
  return wrk.format("POST", "/api/v1/dossiers/" .. ref .. "/actions/" .. s[2], h, s[3])
end

function response(status, headers, body)
  if status ~= 200 and status ~= 201 then
    failures = failures + 1
    step = 1
    return
  end
  if step == 1 then
    ref = (headers["Location"] or headers["location"]):match("[^/]+$")
  end
  version = (headers["ETag"] or headers["etag"]):match("%d+")
  step = step + 1
  if step > #steps then
    lives = lives + 1
    step = 1
  end
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local l, f = 0, 0
  for _, t in ipairs(threads) do
    l = l + t:get("lives")
    f = f + t:get("failures")
  end
  io.write(string.format("lives %d failures %d\n", l, f))
end
