-- wrk: GET /Users?filter=... for a random user of the bench directory (bench.user.<n>@bench.test).
-- args: <kind: userName|emails|emailsFilter> <users>
local kinds = {
  userName = 'userName eq "%s"',
  emails = 'emails.value eq "%s"',
  emailsFilter = 'emails[type eq "work" and value eq "%s"]',
}

function init(args)
  template = kinds[args[1]]
  users = tonumber(args[2])
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

local function encode(text)
  return (text:gsub("[^%w%-._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function request()
  local email = string.format("bench.user.%d@bench.test", math.random(0, users - 1))
  return wrk.format("GET", "/scim/v2/Users?filter=" .. encode(string.format(template, email)))
end

