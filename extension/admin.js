// Admin page: the UI is Rust (AdminPageView); it reads the org to show from its own URL.
import { AdminPageView } from './pkg/crmsync_ui.js';
import { startPage } from './pages.js';

await startPage(AdminPageView);
