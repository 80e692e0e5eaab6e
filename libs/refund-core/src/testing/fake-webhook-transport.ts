import { WebhookHttpRequest, WebhookHttpResponse, WebhookTransport } from '../webhooks/webhook-transport';

/** An answer: an HTTP status, an error (no answer), or a function of the request that produces one. */
export type FakeWebhookAnswer = number | Error | ((request: WebhookHttpRequest) => Promise<number>);

/**
 * A webhook transport for tests: records every request and answers from a queue, then with its
 * standing answer (200 unless told otherwise).
 */
export class FakeWebhookTransport extends WebhookTransport {
  readonly requests: WebhookHttpRequest[] = [];
  private readonly queue: FakeWebhookAnswer[] = [];
  private standing: FakeWebhookAnswer = 200;

  /** The next answers, in order. */
  answer(...answers: FakeWebhookAnswer[]): this {
    this.queue.push(...answers);
    return this;
  }

  /** The answer once the queue is empty. */
  always(answer: FakeWebhookAnswer): this {
    this.standing = answer;
    return this;
  }

  async post(request: WebhookHttpRequest): Promise<WebhookHttpResponse> {
    this.requests.push(request);
    const answer = this.queue.shift() ?? this.standing;
    if (answer instanceof Error) throw answer;
    return { status: typeof answer === 'number' ? answer : await answer(request) };
  }
}
