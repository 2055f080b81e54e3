import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Tier } from './entities/tier.entity.js';

/** The tier ladder, read on every card view and changed rarely: kept in memory for a short while. */
@Injectable()
export class TierService {
  private cache: { tiers: Tier[]; at: number } | undefined;
  constructor(private readonly dataSource: DataSource) {}

  async ladder(): Promise<Tier[]> {
    if (this.cache && Date.now() - this.cache.at < 30_000) return this.cache.tiers;
    const tiers = await this.dataSource.getRepository(Tier).find({ order: { rank: 'ASC' } });
    this.cache = { tiers, at: Date.now() };
    return tiers;
  }

  async byCode(code: string | null): Promise<Tier | undefined> {
    if (!code) return undefined;
    return (await this.ladder()).find((t) => t.code === code);
  }

  async entryTier(): Promise<Tier | undefined> {
    return (await this.ladder())[0];
  }

  invalidate(): void {
    this.cache = undefined;
  }
}
