-- wrk script of deploy/bench/acs-bench.sh: every request posts a distinct signed SAMLResponse form. Each wrk thread
-- reads its own file (<prefix>.<thread>, one urlencoded form per line), so no response is posted twice; a thread that
-- runs out starts its file again, and those replays are refused (400), which wrk reports as non-2xx/3xx answers.
local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  bodies = {}
  for line in io.lines(args[1] .. "." .. id) do
    bodies[#bodies + 1] = line
  end
  position = 0
end

function request()
  position = position % #bodies + 1
  return wrk.format("POST", nil, { ["Content-Type"] = "application/x-www-form-urlencoded" }, bodies[position])
end
