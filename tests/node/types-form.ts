// Compile-only test of the RecoveryForm typings and the event map
// augmentation (tools/check_pkg.sh).
import { RecoveryForm } from "resetflow";
import type { RecoveryFormOptions, RecoveryStep } from "resetflow";

const element = document.createElement("div");
const options: RecoveryFormOptions = { endpoint: "/api/recovery", locale: "de", region: "DE" };
const form = new RecoveryForm(element, options);
const flowId: string | undefined = form.flowId;

element.addEventListener("resetflow:step", (e) => {
  const step: RecoveryStep = e.detail.step;
  const id: string | null = e.detail.flowId;
  // @ts-expect-error steps are the contract's names
  const bogus: "welcome" = e.detail.step;
  void [step, id, bogus];
});
element.addEventListener("resetflow:complete", (e) => {
  const id: string = e.detail.flowId;
  void id;
});
element.addEventListener("resetflow:error", (e) => {
  const code: string = e.detail.code;
  const status: number = e.detail.status;
  void [code, status];
});

// @ts-expect-error endpoint is required
new RecoveryForm(element, {});
// @ts-expect-error a locale the form does not speak
new RecoveryForm(element, { endpoint: "/api/recovery", locale: "fr" });
// @ts-expect-error an element, not a selector
new RecoveryForm("#recover", options);
form.destroy();

export { flowId };
