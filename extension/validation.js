// Data validation's four views: the UI is Rust (ValidationView).
import { ValidationView } from './pkg/crmsync_ui.js';
import { startPage } from './pages.js';

await startPage(ValidationView);
