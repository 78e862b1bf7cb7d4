// Audit log: the UI is Rust (AuditView).
import { AuditView } from './pkg/crmsync.js';
import { startPage } from './pages.js';

await startPage(AuditView);
