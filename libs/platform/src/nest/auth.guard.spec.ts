import { type CanActivate, Controller, type ExecutionContext, Get, Injectable, Module } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ClosedByDefaultGuard } from './auth.guard';
import { AuthenticatedBy, Public } from './public.decorator';

@Injectable()
class HeaderTokenGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return context.switchToHttp().getRequest<{ headers: Record<string, string> }>().headers['x-token'] === 'let-me-in';
  }
}

@Controller()
class ExampleController {
  @Get('open')
  @Public()
  open() {
    return { ok: true };
  }

  @Get('guarded')
  @AuthenticatedBy(HeaderTokenGuard)
  guarded() {
    return { ok: true };
  }

  @Get('forgotten')
  forgotten() {
    return { secret: true };
  }
}

@Module({ controllers: [ExampleController], providers: [{ provide: APP_GUARD, useClass: ClosedByDefaultGuard }] })
class ExampleModule {}

describe(ClosedByDefaultGuard.name, () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await NestFactory.create<NestFastifyApplication>(ExampleModule, new FastifyAdapter(), { logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(() => app.close());

  it('answers a route marked public', async () => {
    const response = await app.inject({ method: 'GET', url: '/open' });
    expect(response.statusCode).toBe(200);
  });

  it('leaves a route with its own authentication to that authentication', async () => {
    expect((await app.inject({ method: 'GET', url: '/guarded', headers: { 'x-token': 'let-me-in' } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/guarded' })).statusCode).toBe(403);
  });

  it('refuses a route nobody protected, with a stable code', async () => {
    const response = await app.inject({ method: 'GET', url: '/forgotten' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'AUTH.REQUIRED' });
  });
});
