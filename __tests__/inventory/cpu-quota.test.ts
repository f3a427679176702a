// The default thread count stays within a container's CPU quota (cgroup cpu.max, or v1's quota and
// period in the same form): Node counts the cores a process may run on, not the time it may use.
import { cpuQuota } from "../../src/inventory/pool.js";

test.each([
  ["100000 100000", 1],
  ["150000 100000", 2],
  ["200000 100000", 2],
  ["50000 100000", 1],
  ["400000 100000\n", 4],
  ["max 100000", undefined],
  ["-1 100000", undefined],
  ["0 100000", undefined],
  ["100000 0", undefined],
  ["", undefined],
  ["garbage", undefined],
  [undefined, undefined],
])("cpu.max %j allows %j threads", (text, want) => {
  expect(cpuQuota(text)).toBe(want);
});
