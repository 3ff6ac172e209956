/** Small wording helpers shared by the page's components. */

export { count } from '../core/plural';
