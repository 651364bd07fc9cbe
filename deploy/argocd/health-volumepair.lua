-- Argo CD health check for elementrepl.io/v1alpha1 VolumePair (element-replication-operator).
-- Suspended: reconciling paused by annotation, or replication paused as requested (spec.paused).
-- Progressing: no status yet, or the status is older than the spec (observedGeneration).
-- Degraded: Stalled=True (a human must act) or Degraded=True (replicating badly).
-- Progressing: Reconciling=True for the current generation (the operator is working toward the spec), even if Ready=True.
-- Healthy: Ready=True for the current generation. Progressing otherwise.
local hs = {}

local function condition(conditions, conditionType)
  for _, c in ipairs(conditions) do
    if c.type == conditionType then
      return c
    end
  end
  return nil
end

local function describe(c)
  local reason = c.reason or "NoReason"
  if c.message ~= nil and c.message ~= "" then
    return reason .. ": " .. c.message
  end
  return reason
end

local annotations = obj.metadata.annotations
if annotations ~= nil and annotations["elementrepl.io/paused"] == "true" then
  hs.status = "Suspended"
  hs.message = "Reconciling is paused by the annotation elementrepl.io/paused"
  return hs
end

if obj.status == nil or obj.status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report status"
  return hs
end

local generation = obj.metadata.generation
local ready = condition(obj.status.conditions, "Ready")
local stale = generation ~= nil and obj.status.observedGeneration ~= nil and obj.status.observedGeneration ~= generation
if generation ~= nil and ready ~= nil and ready.observedGeneration ~= nil and ready.observedGeneration ~= generation then
  stale = true
end
if stale then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe the latest spec"
  return hs
end

for _, conditionType in ipairs({ "Stalled", "Degraded" }) do
  local c = condition(obj.status.conditions, conditionType)
  if c ~= nil and c.status == "True" then
    hs.status = "Degraded"
    hs.message = conditionType .. ": " .. describe(c)
    return hs
  end
end

local reconciling = condition(obj.status.conditions, "Reconciling")
if reconciling ~= nil and reconciling.status == "True" and (generation == nil or reconciling.observedGeneration == nil or reconciling.observedGeneration == generation) then
  hs.status = "Progressing"
  hs.message = "Reconciling: " .. describe(reconciling)
  return hs
end

if ready ~= nil and ready.status == "True" then
  if obj.spec ~= nil and obj.spec.paused == true then
    hs.status = "Suspended"
    hs.message = "Replication is paused as requested (spec.paused): " .. describe(ready)
    return hs
  end
  hs.status = "Healthy"
  hs.message = describe(ready)
  return hs
end

hs.status = "Progressing"
if ready ~= nil then
  hs.message = describe(ready)
else
  hs.message = "Waiting for the Ready condition"
end
return hs
