import type { RouteModule } from "../../app-deps.ts";
import { confirmRoutes } from "./confirm.ts";
import { manageRoutes } from "./manage.ts";
import { signFormRoutes } from "./sign-form.ts";

/** Sign-on: the form, confirmation and receipt, and the signer's manage page. */
export const signRoutes: RouteModule = async (app, deps) => {
  await signFormRoutes(app, deps);
  await confirmRoutes(app, deps);
  await manageRoutes(app, deps);
};
