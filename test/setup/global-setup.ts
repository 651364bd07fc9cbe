// Placeholder until the control-plane harness lands (issue 4): integration tests that need a
// control plane read KUBECONFIG provided here.
export default function setup(): void {}
