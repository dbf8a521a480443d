import { Type } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { notFound } from '../errors.ts';
import { bearerRouteDocs } from '../http/route-docs.ts';
import type { DemoScenarios } from './demo-scenarios.ts';

export interface DemoScenariosPluginOptions {
  scenarios: DemoScenarios;
}

const ScenarioView = Type.Object({
  name: Type.String(),
  description: Type.String(),
  plays: Type.Union([Type.Literal('site'), Type.Literal('paper')], { description: 'site: the simulated devices play it; paper: the cloud API does' }),
  watch: Type.String({ description: 'what a viewer should see happen' }),
});

const TriggerView = Type.Object({
  scenario: Type.String(),
  site: Type.String(),
  startedAt: Type.String({ format: 'date-time' }),
  simTime: Type.String({ format: 'date-time', description: "the simulated warehouse's time when the incident was staged" }),
  watch: Type.String(),
  refused: Type.Union([Type.Object({ statusCode: Type.Integer(), message: Type.String() }), Type.Null()], {
    description: 'an attempt the cloud refused, as it should (double-pledge: 409)',
  }),
});

const WarehouseView = Type.Union([
  Type.Object({
    site: Type.String(),
    scenario: Type.String({ description: 'the base scenario the warehouse plays' }),
    simTime: Type.String({ format: 'date-time', description: "the simulated warehouse's time now" }),
    simStart: Type.String({ format: 'date-time' }),
    speed: Type.Number({ description: 'simulated seconds per real second' }),
  }),
  Type.Null(),
]);

const NameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9-]+$' }) });

/**
 * The demo's incidents, staged by an administrator on the running demo (issue 25). Only
 * registered when the process that started the cloud runs a simulated warehouse.
 */
export const demoScenariosPlugin: FastifyPluginAsync<DemoScenariosPluginOptions> = async (fastify, { scenarios }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const docs = bearerRouteDocs(['demo']);

  app.get(
    '/api/v1/demo/scenarios',
    {
      onRequest: fastify.requireRole('admin'),
      schema: docs(
        "Incidents that can be staged on the running demo, and its warehouse's simulated time (admin)",
        { response: { 200: Type.Object({ items: Type.Array(ScenarioView), warehouse: WarehouseView }) } },
        [403],
      ),
    },
    async () => ({ items: [...scenarios.list()], warehouse: scenarios.status() }),
  );

  app.post(
    '/api/v1/demo/scenarios/:name',
    {
      onRequest: fastify.requireRole('admin'),
      schema: docs(
        "Stage an incident on the running demo's live warehouse, from now (admin)",
        {
          description:
            'Site scenarios play on the simulated devices (goods leave, a lens is covered, a reader dies) and reach the ' +
            'cloud as the gateway reports them; paper scenarios go through the API (price ticks, a second receipt for ' +
            'pledged goods, refused with 409). Replies at once; the case follows as the warehouse plays it.',
          params: NameParams,
          response: { 202: TriggerView },
        },
        [400, 403, 404, 503],
      ),
    },
    async (request, reply) => {
      const { name } = request.params;
      if (!scenarios.list().some((s) => s.name === name)) throw notFound(`demo scenario "${name}"`);
      const result = await scenarios.trigger(name);
      request.log.info({ scenario: name, by: request.user.email, simTime: result.simTime }, 'demo scenario staged');
      return reply.code(202).send(result);
    },
  );
};
