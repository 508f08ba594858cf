export { ServerErrorAlert } from './ServerErrorAlert';
