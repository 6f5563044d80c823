import { IsString, Length } from 'class-validator';

export class CreateWorkspaceDto {
  @IsString()
  @Length(1, 200)
  name!: string;
}

export class UpdateWorkspaceDto extends CreateWorkspaceDto {}
