export const VM_PLACEHOLDER = true;
