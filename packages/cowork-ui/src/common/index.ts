export * from './cowork-protocol';
export * from './task-view';
