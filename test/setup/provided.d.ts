// Values the integration project's global setup hands to test files (vitest `inject`).
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin (system:masters) kubeconfig of the run's control plane. */
    kubeconfig: string;
    apiServerUrl: string;
    /** Run dir of the control plane (certificates; lets tests mint users). */
    controlPlaneRunDir: string;
    /** kubectl to use in tests; '' when none was found. */
    kubectl: string;
  }
}
