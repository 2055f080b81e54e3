/** Staff uploads' public surface: pictures for mall items. No tables. */
export { UploadsService } from './uploads.service.js';
export { registerImageParser, serveUploads } from './image-parser.js';
