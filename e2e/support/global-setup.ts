// The repo's e2e runs use the kit's own global setup (imdesk/playwright): one
// server in test mode for the run, or the one E2E_BASE_URL / IMDESK_URL names.
export { default } from "../../playwright/global-setup";
