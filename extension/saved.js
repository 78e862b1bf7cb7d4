// Saved leads and accounts: the UI is Rust (SavedView).
import { SavedView } from './pkg/crmsync_ui.js';
import { startPage } from './pages.js';

await startPage(SavedView);
