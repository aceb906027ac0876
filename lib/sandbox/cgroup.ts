// lib/'s door to the cgroup module (sandbox/cgroup.ts), as lib/sandbox/process.ts is to the process module.

export {
  addPid, CFS_PERIOD_US, CGROUP_ROOT_ENV, cpuQuotaIn, createGroup, detectCgroups, parseCpuList, parseProcCgroup, parseSize, pidsIn, readBack,
  removeGroups, removeStackGroups, sharedNotice, stackDirs, stackGroupName,
} from '../../sandbox/cgroup.js';
export type { Budget, CgroupHost, Controller, Detected, Group, ReadBack, SelfGroups } from '../../sandbox/cgroup.js';
