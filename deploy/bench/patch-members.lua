-- wrk: PATCH /Groups/<group> alternately adding and removing one member (ids from the file args[2]).
function init(args)
  group = args[1]
  ids = {}
  for line in io.lines(args[2]) do ids[#ids + 1] = line end
  n = 0
end

function request()
  n = n + 1
  local member = ids[math.floor((n - 1) / 2) % #ids + 1]
  local op = (n % 2 == 1) and "add" or "remove"
  local body = string.format('{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],' ..
    '"Operations":[{"op":"%s","path":"members","value":[{"value":"%s"}]}]}', op, member)
  return wrk.format("PATCH", "/scim/v2/Groups/" .. group, nil, body)
end

