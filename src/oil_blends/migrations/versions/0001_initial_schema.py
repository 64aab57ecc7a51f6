"""initial schema: oils, revisions, users, tokens, sources, catalog version

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-22 05:18:27.233800
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "catalog_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_version")),
    )
    op.create_table(
        "oils",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("botanical_name", sa.String(length=200), nullable=True),
        sa.Column("variant", sa.String(length=100), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("drops_per_ml", sa.Double(), nullable=True),
        sa.Column("max_dermal_percent", sa.Double(), nullable=True),
        sa.Column("max_dermal_reason", sa.String(length=300), nullable=True),
        sa.Column("phototoxic_max_percent", sa.Double(), nullable=True),
        sa.Column("sensitizer", sa.Boolean(), nullable=False),
        sa.Column("oxidizes", sa.Boolean(), nullable=False),
        sa.Column("shelf_life_months", sa.Integer(), nullable=True),
        sa.Column("contraindications", sa.JSON(), nullable=False),
        sa.Column("cautions", sa.JSON(), nullable=False),
        sa.Column("allergens", sa.JSON(), nullable=False),
        sa.Column("comedogenic", sa.Integer(), nullable=True),
        sa.Column("solid_below_c", sa.Double(), nullable=True),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('carrier', 'essential')", name=op.f("ck_oils_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oils")),
        sa.UniqueConstraint("slug", name=op.f("uq_oils_slug")),
    )
    with op.batch_alter_table("oils", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_oils_kind"), ["kind"], unique=False)

    op.create_table(
        "sources",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("citation", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sources")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("role IN ('editor', 'admin')", name=op.f("ck_users_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "oil_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("oil_id", sa.Integer(), nullable=True),
        sa.Column("oil_slug", sa.String(length=60), nullable=False),
        sa.Column("oil_version", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("author", sa.String(length=80), nullable=False),
        sa.Column("comment", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["oil_id"], ["oils.id"], name=op.f("fk_oil_revisions_oil_id_oils"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_oil_revisions_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oil_revisions")),
    )
    with op.batch_alter_table("oil_revisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_oil_revisions_oil_id"), ["oil_id"], unique=False)
        batch_op.create_index("ix_oil_revisions_slug_created", ["oil_slug", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_oil_revisions_user_id"), ["user_id"], unique=False)

    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=128), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_tokens_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_tokens_token_hash")),
    )
    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tokens_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tokens_user_id"))

    op.drop_table("tokens")
    with op.batch_alter_table("oil_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_oil_revisions_user_id"))
        batch_op.drop_index("ix_oil_revisions_slug_created")
        batch_op.drop_index(batch_op.f("ix_oil_revisions_oil_id"))

    op.drop_table("oil_revisions")
    op.drop_table("users")
    op.drop_table("sources")
    with op.batch_alter_table("oils", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_oils_kind"))

    op.drop_table("oils")
    op.drop_table("catalog_version")
