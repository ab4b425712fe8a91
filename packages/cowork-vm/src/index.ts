export * from './sandbox-types';
export * from './sandbox-backend';
export * from './create-sandbox';
export { ChangeSet, Change, ChangeKind, EntryType, ApplyReport } from './changes/change-set';
export { LinuxSandbox, LinuxSandboxOptions } from './linux/linux-sandbox';
export { UnsandboxedRunner } from './unsandboxed-runner';
export { EgressProxy, EgressPolicy } from './network/egress-proxy';
export { buildSeccompFilter, DENIED_SYSCALLS } from './linux/seccomp-filter';
