import { Injectable } from '@nestjs/common';
import { VariantVerifier } from '@refundhub/gateway-kit';

import { UmfSettings } from './umf.options';
import {
  UMF_ANSWER_VARIANTS,
  UMF_NOTIFICATION_VARIANTS,
  type UmfAnswerMessage,
  type UmfAnswerVariant,
  type UmfNotificationVariant,
} from './umf.sign-variants';
import { verifyUmfAnswer, verifyUmfNotification } from './umf.signer';
import type { UmfFields } from './umf.types';

/**
 * Verifies what the platform signs with the configured readings and says which one matched, so an
 * operator can pin `answerVerification` / `notificationVerification` once UMF's behaviour is known
 * (PROTOCOLS.md §3 and §5a).
 */
@Injectable()
export class UmfPlatformVerifier {
  private readonly answers: VariantVerifier<UmfAnswerVariant>;
  private readonly notifications: VariantVerifier<UmfNotificationVariant>;

  constructor(private readonly settings: UmfSettings) {
    const { answerVerification, notificationVerification } = settings;
    this.answers = new VariantVerifier({
      gateway: 'UMF',
      variants: UMF_ANSWER_VARIANTS,
      pinned: answerVerification === 'auto' ? undefined : answerVerification,
    });
    this.notifications = new VariantVerifier({
      gateway: 'UMF',
      subject: 'notifications',
      variants: UMF_NOTIFICATION_VARIANTS,
      pinned: notificationVerification === 'auto' ? undefined : notificationVerification,
    });
  }

  /** The variant the answer verified with, or null (then it is unsigned or wrongly signed). */
  answer(input: {
    fields: UmfFields;
    message: UmfAnswerMessage;
    platformCertificate: string;
    context: string;
  }): UmfAnswerVariant | null {
    const { fields, message, platformCertificate, context } = input;
    // No signature, no variant: skip the nine RSA checks.
    if (!fields['sign']) return null;
    return this.answers.verify({
      check: (variant) =>
        verifyUmfAnswer({
          fields,
          publicKeyPem: platformCertificate,
          hash: this.settings.signatureHash,
          message,
          variant,
        }),
      context,
    });
  }

  notification(input: {
    fields: UmfFields;
    platformCertificate: string;
    context: string;
  }): UmfNotificationVariant | null {
    const { fields, platformCertificate, context } = input;
    if (!fields['sign']) return null;
    return this.notifications.verify({
      check: (variant) =>
        verifyUmfNotification({
          fields,
          publicKeyPem: platformCertificate,
          hash: this.settings.signatureHash,
          variant,
        }),
      context,
    });
  }
}
