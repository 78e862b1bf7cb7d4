// Audit log: the UI is Rust (AuditView).
import { AuditView } from './pkg/crmsync_ui.js';
import { startPage } from './pages.js';

await startPage(AuditView);
