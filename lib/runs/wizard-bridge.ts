// The one place lib/runs reaches into the wizard (lib/wizard, built alongside), so a change of its
// exports is a change here only. Direct module paths keep the runners' import graph small.
export { demoReadiness, fullRunReadiness } from "@/lib/wizard/load";
export { forgetPrerequisiteReport } from "@/lib/wizard/prerequisites-step";
