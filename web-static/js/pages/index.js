// Every page module of the web application, one line each; app.js flattens the
// exported route lists into its router. Each engineer adds only their own lines.

// W1: public pages, the enterprise workspace, admin and auditor
export { routes as publicRoutes } from './public.js';
export { routes as smeRoutes } from './sme.js';
export { routes as smeCreditRoutes } from './sme_credit.js';
export { routes as smeApplyRoutes } from './sme_apply.js';
export { routes as adminRoutes } from './admin.js';
// end W1

// W2: the bank, park operator and bureau workspaces
export { routes as bankRoutes } from './bank.js';
export { routes as parkRoutes } from './park.js';
export { routes as bureauRoutes } from './bureau.js';
// end W2
