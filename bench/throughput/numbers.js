'use strict';
/**
 * The refund and order numbers of the throughput stage. A short tag names who sent a refund and
 * in which phase (first letter: A the API, F the reference, D direct to the sandbox; second: W
 * warm-up, M measured followed by the round's number, V latency warm-up, L latency), so the sandbox can count each run's calls
 * apart. Letters and digits only: Leshua takes nothing else in a refund number.
 */

/** The refund number of request `i` of run `tag`. */
const refundNo = (tag, i) => `${tag}R${String(i).padStart(7, '0')}`;

/** The paid order request `i` of run `tag` refunds (seeded in the sandbox first). */
const orderNo = (tag, i) => `${tag}O${String(i).padStart(7, '0')}`;

module.exports = { refundNo, orderNo };
