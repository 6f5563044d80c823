import { Controller, Get, Param, Res } from '@nestjs/common';
import { AnyHost, Public } from '../core/access-policy/route-policy.decorators';
import { NotFoundError } from '../core/errors';
import { AssetBundle } from './asset-bundle';
import type { HtmlReply } from './page-shell';

/** The dashboard's CSS and JavaScript: public, content-hashed names, cached for a year. */
@Controller('assets')
export class AssetsController {
  constructor(private readonly assets: AssetBundle) {}

  @Public()
  @AnyHost()
  @Get(':file')
  serve(@Param('file') file: string, @Res() reply: HtmlReply): void {
    const asset = this.assets.find(file);
    if (!asset) throw new NotFoundError();
    reply
      .code(200)
      .header('Content-Type', asset.contentType)
      .header('Cache-Control', 'public, max-age=31536000, immutable')
      .send(asset.body);
  }
}
