import { OmitType, PartialType } from '@nestjs/mapped-types';
import { CreateApiKeyDto } from './create-api-key.dto';

/** Everything but the environment, which is part of the key string and cannot change. */
export class UpdateApiKeyDto extends PartialType(OmitType(CreateApiKeyDto, ['environment'] as const), {
  skipNullProperties: false,
}) {}
