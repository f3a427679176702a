// The bundled Action's entry point (dist/index.js): runs the Action once.
import { runAction } from "./action.js";

await runAction();
