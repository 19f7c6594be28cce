-- wrk: POST /Users with a new userName on every request (thread id + counter keep them unique).
local counter = 0
local thread_id = 0
local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  thread_id = id
  prefix = args[1] or "load"
end

function request()
  counter = counter + 1
  local email = string.format("%s.%d.%d@bench.test", prefix, thread_id, counter)
  local body = string.format('{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"%s",' ..
    '"name":{"givenName":"Load","familyName":"User %d"},"emails":[{"value":"%s","type":"work","primary":true}],' ..
    '"active":true,"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Dept %d"}}',
    email, counter, email, counter % 20)
  return wrk.format("POST", nil, nil, body)
end

