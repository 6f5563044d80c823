import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { IsString, Length } from 'class-validator';
import { AutoScope } from '../core/access-policy/require-scope.decorator';

class ClientDto {
  @IsString()
  @Length(1, 200)
  name!: string;
}

/**
 * Seed 001's automatic scopes: with @AutoScope() the resource comes from the path (`clients`) and
 * the action from the method, so GET needs `clients:read`, POST `clients:create`, PUT
 * `clients:update`, DELETE `clients:delete`, with no decorator per handler.
 */
@AutoScope()
@Controller('api/v1/clients')
export class ClientsController {
  @Get()
  list() {
    return { data: [] };
  }

  @Post()
  create(@Body() dto: ClientDto) {
    return { name: dto.name };
  }

  @Put(':id')
  update(@Param('id') id: string, @Body() dto: ClientDto) {
    return { id, name: dto.name };
  }

  @Delete(':id')
  @HttpCode(204)
  remove(): void {}
}
