import { Type, type Static } from 'typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { PrismaClient } from '../db/generated/client.ts';
import { badRequest } from '../errors.ts';
import { bearerRouteDocs } from '../http/route-docs.ts';
import { initialEwmaState } from '../prices/ewma-volatility.ts';
import type { PriceService } from '../prices/price-service.ts';
import { RevaluationView, revaluationView } from '../prices/price-views.ts';
import { userActor } from '../risk/actor.ts';
import { normaliseCommodity } from './commodity-code.ts';
import { COMMODITY_CLASSES, type CommodityClassId } from './commodity-classes.ts';
import type { CommodityTerms } from './commodity-terms.ts';
import { loadCommodityTerms, saveCommodityTerms } from './commodity-terms-repository.ts';
import { computeHaircut } from './haircut.ts';
import { canonicalUnit } from './units.ts';
import { CommodityCode, DecimalString } from './wire-schemas.ts';

export interface CommoditiesPluginOptions {
  prisma: PrismaClient;
  prices: PriceService;
}

const ClassId = Type.Enum(Object.keys(COMMODITY_CLASSES) as CommodityClassId[]);

const TermsView = Type.Object({
  commodity: Type.String(),
  classId: ClassId,
  configured: Type.Boolean({ description: 'false: every value is the class default' }),
  priceUnit: Type.String(),
  haircut: Type.Object({ floor: DecimalString, z: DecimalString, liquidationDays: Type.Integer() }),
  haircutCap: DecimalString,
  ewmaLambda: DecimalString,
  densityKgPerM3: Type.Union([DecimalString, Type.Null()]),
  advanceRate: Type.Object({ min: DecimalString, max: DecimalString, default: DecimalString }),
});

const TermsBody = Type.Object({
  classId: Type.Optional(ClassId),
  priceUnit: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
  haircutFloor: Type.Optional(DecimalString),
  haircutZ: Type.Optional(DecimalString),
  liquidationDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
  haircutCap: Type.Optional(DecimalString),
  ewmaLambda: Type.Optional(DecimalString),
  densityKgPerM3: Type.Optional(DecimalString),
});

function termsView(terms: CommodityTerms): Static<typeof TermsView> {
  return {
    commodity: terms.commodity,
    classId: terms.classId,
    configured: terms.configured,
    priceUnit: terms.priceUnit,
    haircut: { ...terms.haircut },
    haircutCap: terms.haircutCap,
    ewmaLambda: terms.ewmaLambda,
    densityKgPerM3: terms.densityKgPerM3 ?? null,
    advanceRate: { ...COMMODITY_CLASSES[terms.classId].advanceRate },
  };
}

export const commoditiesPlugin: FastifyPluginAsync<CommoditiesPluginOptions> = async (fastify, { prisma, prices }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const docs = bearerRouteDocs(['valuation']);
  const Params = Type.Object({ commodity: CommodityCode });
  const codeOf = (text: string): string => {
    const code = normaliseCommodity(text);
    if (code === undefined) throw badRequest(`"${text}" is not a commodity code`);
    return code;
  };

  app.get(
    '/api/v1/commodities/:commodity',
    {
      onRequest: fastify.requireRole(),
      schema: docs("A commodity's class, haircut parameters and advance-rate range (configured or class defaults)", { params: Params, response: { 200: TermsView } }, [400]),
    },
    async (request) => termsView(await loadCommodityTerms(prisma, codeOf(request.params.commodity))),
  );

  app.put(
    '/api/v1/commodities/:commodity',
    {
      onRequest: fastify.requireRole('admin'),
      schema: docs(
        "Set a commodity's class and haircut parameters; its price series and pledged receipts are revalued",
        {
          description:
            'haircut = min(cap, max(floor, z · σ_daily · √liquidationDays)). Fields left out fall back to the class ' +
            'defaults (z = 2.33, the one-sided 99% quantile; floors and liquidation days per class in commodity-classes.ts).',
          params: Params,
          body: TermsBody,
          response: { 200: Type.Object({ terms: TermsView, revaluations: Type.Array(RevaluationView) }) },
        },
        [400, 403],
      ),
    },
    async (request) => {
      const commodity = codeOf(request.params.commodity);
      const body = request.body;
      const current = await loadCommodityTerms(prisma, commodity);
      const priceUnit = body.priceUnit === undefined ? undefined : canonicalUnit(body.priceUnit);
      if (body.priceUnit !== undefined && priceUnit === undefined) throw badRequest(`unit "${body.priceUnit}" is not known`);
      const classId = body.classId ?? current.classId;
      const defaults = COMMODITY_CLASSES[classId].haircut;
      try {
        computeHaircut('0', { floor: body.haircutFloor ?? defaults.floor, z: body.haircutZ ?? defaults.z, liquidationDays: body.liquidationDays ?? defaults.liquidationDays }, body.haircutCap);
        if (body.ewmaLambda !== undefined) initialEwmaState(body.ewmaLambda);
      } catch (error) {
        throw badRequest((error as Error).message);
      }
      await saveCommodityTerms(prisma, commodity, { ...body, classId, priceUnit });
      const revaluations = await prices.reapplyTerms(commodity, userActor(request.user));
      return { terms: termsView(await loadCommodityTerms(prisma, commodity)), revaluations: revaluations.map(revaluationView) };
    },
  );
};
